// lodash.camelcase ships no types; proto-loader (and shared/grpc/lean-proto-loader.ts) use it to
// name each method's camelCase alias on a client.
declare module 'lodash.camelcase' {
  export default function camelCase(text: string): string;
}
