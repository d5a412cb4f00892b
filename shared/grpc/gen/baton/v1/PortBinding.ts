// Original file: proto/baton.proto


export interface PortBinding {
  'target'?: (number);
  'published'?: (number);
  'protocol'?: (string);
  'host_ip'?: (string);
  '_published'?: "published";
  '_host_ip'?: "host_ip";
}

export interface PortBinding__Output {
  'target': (number);
  'published'?: (number);
  'protocol': (string);
  'host_ip'?: (string);
  '_published'?: "published";
  '_host_ip'?: "host_ip";
}
