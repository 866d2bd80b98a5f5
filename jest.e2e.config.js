import { e2e } from './jest.config.js';

export default e2e;
