// Runs before every spec file: unmount after each test, and fail a test whose view asked the
// API for something the test did not answer.
import { afterEach, expect } from 'vitest';
import { cleanup, configure } from '@testing-library/react';
import { takeUnhandled } from './api-stub';
import { clearQueryClients } from './render';

// Two cores shared with the rest of the suite: give a state time to show before calling it missing.
configure({ asyncUtilTimeout: 5000 });

// jsdom has no layout: navigate() scrolls to the top of the page after a link is followed.
window.scrollTo = () => {};
// Nor does it resize anything: the chart keeps its first width.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
};

afterEach(() => {
  cleanup();
  clearQueryClients();
  expect(takeUnhandled(), 'requests no stub answered').toEqual([]);
});
