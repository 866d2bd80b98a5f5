export { FaultlineError, isFaultlineError } from './faultline.error.js';
