import { type XmlChild } from '../wire/xml.js';
import { type OperationContext } from '../operation.js';
import { urlBaseOf } from '../live-channel/channel-urls.js';

/**
 * The service endpoint (host[:port], no bucket label) a client reached the emulator by: SDK test helpers build a new
 * client from ExtranetEndpoint, so it must lead back here. A virtual-hosted request's `<bucket>.` label is dropped.
 */
export const endpoints = (ctx: OperationContext, bucket: string): XmlChild[] => {
  const endpoint = urlBaseOf(ctx, bucket).endpointHost;
  return [
    ['ExtranetEndpoint', endpoint],
    ['IntranetEndpoint', endpoint],
  ];
};
