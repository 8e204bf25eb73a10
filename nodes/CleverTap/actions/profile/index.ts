import { resource } from '../common/resource';
import * as del from './delete.operation';
import * as demerge from './demerge.operation';
import * as disassociatePhone from './disassociatePhone.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as resubscribe from './resubscribe.operation';
import * as unsubscribe from './unsubscribe.operation';
import * as upsert from './upsert.operation';

export const { operations, description } = resource(
	'profile',
	[del, demerge, disassociatePhone, get, getMany, resubscribe, unsubscribe, upsert],
	'demerge',
);
