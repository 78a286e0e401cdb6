/** A small scenario (10 minutes, three 1X dynos, 2 requests a second) for tests of the command's behaviour rather than the model's. */
export const SMALL = `name: small
platform: heroku-2013
seed: 1
duration: 10m
formation:
  web: { count: 3, size: 1X }
traffic:
  rate: 2/s
  service: { distribution: exponential, mean: 50ms }
`;
