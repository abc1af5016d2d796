// What a .svelte import is, for tsc (the Svelte compiler checks the components themselves).
declare module '*.svelte' {
  import type { Component } from 'svelte';
  const component: Component<any>;
  export default component;
}
