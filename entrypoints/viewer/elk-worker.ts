/** ELK's own worker script: it answers elkjs' layout requests (see elk-api's workerFactory). */
import 'elkjs/lib/elk-worker.min.js';
