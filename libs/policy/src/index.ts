// Access rules as data (issue 2); certificate profiles join here with issue 3.
export * from './access';
export * from './profiles';
