import type { Operation } from '../operation.js';
import { ossErrors } from '../wire/errors.js';

/** POST / with multipart/form-data: browser form upload (placeholder until the form parser lands). */
export const postObject: Operation = () => {
  throw ossErrors.notImplemented('PostObject');
};
