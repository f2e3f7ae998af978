// OSV records into the normalized vulnerability model.
export { parseOsvRecord, parseOsvRecords } from './parse.js';
export { osvEcosystem, type EcosystemInfo } from './ecosystem.js';
