import type { Operation } from '../operation.js';
import { getLiveChannelHistory, getLiveChannelInfo, getLiveChannelStat } from './live-channel-reports.js';
import { putLiveChannelStatus } from './live-channel-status.js';
import { deleteLiveChannel } from './live-delete-channel.js';
import { listLiveChannel } from './live-list-channels.js';
import { putLiveChannel } from './live-put-channel.js';
import { getVodPlaylist, postVodPlaylist } from './live-vod-playlists.js';

type LiveChannelOperationName =
  | 'PutLiveChannel' | 'ListLiveChannel' | 'DeleteLiveChannel' | 'PutLiveChannelStatus' | 'GetLiveChannelInfo'
  | 'GetLiveChannelStat' | 'GetLiveChannelHistory' | 'PostVodPlaylist' | 'GetVodPlaylist';

/** The nine LiveChannel operations (spec §5); operations/index.ts spreads this into the dispatch table. */
export const liveChannelOperations: Record<LiveChannelOperationName, Operation> = {
  PutLiveChannel: putLiveChannel,
  ListLiveChannel: listLiveChannel,
  DeleteLiveChannel: deleteLiveChannel,
  PutLiveChannelStatus: putLiveChannelStatus,
  GetLiveChannelInfo: getLiveChannelInfo,
  GetLiveChannelStat: getLiveChannelStat,
  GetLiveChannelHistory: getLiveChannelHistory,
  PostVodPlaylist: postVodPlaylist,
  GetVodPlaylist: getVodPlaylist,
};
