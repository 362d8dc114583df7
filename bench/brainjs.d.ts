// brain.js ships no types for its 2.0 beta AE; the part the benchmark uses.
declare module 'brain.js' {
  const brain: {
    AE: new (options: { hiddenLayers: number[] }) => {
      train(data: number[][], options: { iterations: number }): unknown;
    };
  };
  export default brain;
}
