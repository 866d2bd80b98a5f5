// Event and message types shared by every service, with their schemas. This library depends on no other library.
export * from './reply.js';
export * from './deadline.js';
export * from './local-subject.js';
export * from './api/api-error-codes.js';
export * from './user/user.events.js';
export * from './user/user.fields.js';
export * from './user/user.messages.js';
export * from './media/media.events.js';
export * from './media/media.messages.js';
export * from './jobs/job.names.js';
