// A worker that makes one date formatter and says so: it loads the locale's data for the page (see locale-warmup.ts).
import { TIME_FORMAT } from './time-format.ts';

new Intl.DateTimeFormat(undefined, TIME_FORMAT).format(Date.now());
postMessage('ready');
