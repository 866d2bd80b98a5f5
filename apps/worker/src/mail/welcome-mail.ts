import type { WelcomeMailJobData } from '#libs/contracts';

export interface MailMessage {
  readonly messageId: string;
  readonly userId: string;
  readonly to: string;
  readonly subject: string;
  readonly body: string;
}

/** The welcome mail a new user gets, as plain text. */
export function welcomeMail(messageId: string, data: WelcomeMailJobData): MailMessage {
  return {
    messageId,
    userId: data.userId,
    to: data.email,
    subject: 'Welcome to faultline',
    body: [
      `Hello ${data.name},`,
      '',
      'your account is ready. Everything you do here runs on a lab that is broken on purpose:',
      'if something is slow or briefly unavailable, that is the experiment.',
      '',
      '— faultline',
    ].join('\n'),
  };
}
