// The two systeminformation modules the agent loads directly (the package index loads all of
// them, about 7 MB more resident memory); their types are the package's own.
declare module 'systeminformation/lib/memory.js' {
  export const mem: typeof import('systeminformation').mem;
}
declare module 'systeminformation/lib/filesystem.js' {
  export const fsSize: typeof import('systeminformation').fsSize;
}
