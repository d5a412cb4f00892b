// The undo journal of one attempt: every replica an attempt moves is recorded with the node it
// was on before, so a failed attempt restores the plan exactly and a successful one just forgets.
import type { ImproveState } from './state.js';

/** Records where r is now, the first time the current attempt moves it. */
export function touch(st: ImproveState, r: number): void {
  const jr = st.journal;
  if (jr.touchedFlag[r]) return;
  jr.touchedFlag[r] = 1;
  jr.before[r] = st.assigned[r]!;
  jr.touched.push(r);
}

/** Places movable replica r on node j. */
export function put(st: ImproveState, j: number, r: number): void {
  touch(st, r);
  st.s.place(j, st.req[r]!);
  st.assigned[r] = j;
  st.onNode[j]!.push(r);
}

/** Takes movable replica r off node j (the caller keeps it, usually in the pool). */
export function take(st: ImproveState, j: number, r: number): void {
  touch(st, r);
  st.s.unplace(j, st.req[r]!);
  st.assigned[r] = -1;
  const list = st.onNode[j]!;
  const i = list.indexOf(r);
  list[i] = list[list.length - 1]!;
  list.pop();
}

/** Puts every replica the attempt moved back where it was before the attempt; empties the pool. */
export function restore(st: ImproveState, pool: number[]): void {
  const jr = st.journal;
  for (const r of jr.touched) {
    const now = st.assigned[r]!;
    if (now >= 0 && now !== jr.before[r]) take(st, now, r);
  }
  pool.length = 0;
  for (const r of jr.touched) {
    const was = jr.before[r]!;
    if (st.assigned[r] !== was) put(st, was, r);
    jr.touchedFlag[r] = 0;
  }
  jr.touched = [];
}

/** Keeps the attempt's moves. */
export function commit(st: ImproveState): void {
  const jr = st.journal;
  for (const r of jr.touched) jr.touchedFlag[r] = 0;
  jr.touched = [];
}
