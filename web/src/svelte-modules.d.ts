// What a .svelte import is, for tsc (the Svelte compiler checks the components themselves).
declare module '*.svelte' {
  import type { Component } from 'svelte';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tsc cannot see a component's props; the Svelte compiler checks them
  const component: Component<any>;
  export default component;
}
