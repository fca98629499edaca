import { type XmlChild } from '../wire/xml.js';
import { type OperationContext } from '../operation.js';

export const endpoints = (ctx: OperationContext): XmlChild[] => [
  ['ExtranetEndpoint', ctx.publicHost],
  ['IntranetEndpoint', ctx.publicHost],
];
