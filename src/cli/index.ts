/** Command-line entry points. */
export { main } from './main.js';
