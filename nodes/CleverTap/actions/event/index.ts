import { resource } from '../common/resource';
import * as upload from './upload.operation';

export const { operations, description } = resource('event', [upload], 'upload');
