// Imported first by the browser tests that compare a page's numbers with this process's: the
// pages run the plain kernels (a page without cross-origin isolation gets the single-thread build,
// which has no fused multiply-add), so this process must load the plain build too
// (src/index.ts reads HOURGLASS_FMA when it is first imported). Same build, same bits.
process.env['HOURGLASS_FMA'] = '0';
