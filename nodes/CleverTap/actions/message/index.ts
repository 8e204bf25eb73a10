import { resource } from '../common/resource';
import * as send from './send.operation';
import * as triggerCampaign from './triggerCampaign.operation';

export const { operations, description } = resource('message', [send, triggerCampaign], 'send');
