// The page's one h1. After a navigation inside the app it takes the focus, so keyboard and
// screen-reader users start reading the new page at its top (the browser does that only on
// a full page load).
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { hasNavigated } from "./location";

export function PageHeading(props: { children: ComponentChildren; id?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (hasNavigated()) ref.current?.focus();
  }, []);
  return (
    <h1 ref={ref} id={props.id} tabIndex={-1} class="page-heading">
      {props.children}
    </h1>
  );
}
