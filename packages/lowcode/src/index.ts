export * from './widget.js';
