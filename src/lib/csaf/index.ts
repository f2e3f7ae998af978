// Red Hat CSAF VEX documents into the normalized vulnerability model.
export { parseCsafVex } from './parse.js';
export { cpeRelease, parseRpmPurl, readProductTree, type Component, type ProductTree } from './product-tree.js';
