// TEMPORARY until the shared label module lands (shared/model/labels.ts): the allocation label key.
export const LABEL_ALLOCATION = 'io.baton.allocation';
