import { ServiceRefusedError } from '../http/api.errors.js';

/** Checked at the gateway too, so a foreign change costs no service call; the service checks again. */
export class ForbiddenProfileChangeError extends ServiceRefusedError {
  constructor() {
    super('FORBIDDEN', 'only the owner of a profile may change it');
  }
}
