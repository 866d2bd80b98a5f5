import { unit } from './jest.config.js';

export default unit;
