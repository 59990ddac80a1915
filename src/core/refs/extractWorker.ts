/** Entry of the reference index's helper thread (`parallel.ts`); a bundle ships it as `extractWorker.js`. */
import { serveExtraction } from './parallel';

serveExtraction();
