import { useLayoutEffect, useRef } from 'react';

type FocusRef = (element: HTMLElement | null) => void;

/**
 * Focus for the buttons an inline confirmation replaces while it is open (or for what shows the
 * outcome once it is done). The button is unmounted then, so when the person cancels, the
 * browser's focus has nowhere to go and falls back to the page's start: a keyboard or
 * screen-reader user loses their place. `returnFocusTo(key)` as the confirmation closes makes the
 * element given `ref={target(key)}` take the focus as it mounts again. Keys tell apart several
 * targets (two actions on one panel, one per item of a list).
 */
export function useReturnFocus<Key extends string | number>(): { target: (key: Key) => FocusRef; returnFocusTo: (key: Key) => void } {
  const pending = useRef<Key | null>(null);
  // One callback per key, kept across renders: React calls a ref callback again whenever it is a
  // new function, and only a button that mounts again must take the focus.
  const refs = useRef(new Map<Key, FocusRef>());
  const target = (key: Key): FocusRef => {
    let ref = refs.current.get(key);
    if (!ref) {
      ref = (element) => {
        if (element && pending.current === key) {
          pending.current = null;
          element.focus();
        }
      };
      refs.current.set(key, ref);
    }
    return ref;
  };
  // A key whose element did not mount in the commit that followed (it is gone for good: the
  // account was confirmed meanwhile) must not take the focus later, from wherever the person is
  // by then. This runs after the commit's refs have been attached.
  useLayoutEffect(() => {
    pending.current = null;
  });
  return { target, returnFocusTo: (key) => (pending.current = key) };
}
