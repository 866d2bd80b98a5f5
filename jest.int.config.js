import { int } from './jest.config.js';

export default int;
