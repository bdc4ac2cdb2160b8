import { appConfig } from '../../tools/tsup/app.js';

export default appConfig();
