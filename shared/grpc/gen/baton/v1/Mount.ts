// Original file: proto/baton.proto

import type { Long } from '@grpc/proto-loader';

export interface Mount {
  'type'?: (string);
  'source'?: (string);
  'target'?: (string);
  'read_only'?: (boolean);
  'driver'?: (string);
  'driver_options'?: ({[key: string]: string});
  'labels'?: ({[key: string]: string});
  'external'?: (boolean);
  'no_copy'?: (boolean);
  'subpath'?: (string);
  'propagation'?: (string);
  'tmpfs_size_bytes'?: (number | string | Long);
  'tmpfs_mode'?: (number);
}

export interface Mount__Output {
  'type': (string);
  'source': (string);
  'target': (string);
  'read_only': (boolean);
  'driver': (string);
  'driver_options': ({[key: string]: string});
  'labels': ({[key: string]: string});
  'external': (boolean);
  'no_copy': (boolean);
  'subpath': (string);
  'propagation': (string);
  'tmpfs_size_bytes': (number);
  'tmpfs_mode': (number);
}
