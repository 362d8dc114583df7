// The library's version, recorded in every training history (a test checks it against package.json).

export const LIBRARY_VERSION = '0.1.0';
