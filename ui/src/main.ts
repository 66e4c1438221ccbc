/** Entry point of the dashboard bundle. */
import { App } from './app.js';

const root = document.getElementById('app');
if (root) new App().mount(root);
