#!/usr/bin/python3
"""The canonical dynosim benchmark written for SimPy, as a peer to compare speeds with.

Model: 50 dynos serving one request at a time, each a capacity-1 resource with its own
FIFO queue; the router picks a dyno uniformly at random; Poisson arrivals at 400/s;
exponential service times of mean 100 ms; a request whose response time exceeds the
30 s router timeout counts as an H12 (the dyno still finishes it). N requests in all.

Usage: /usr/bin/python3 scripts/peers/simpy_canonical.py [N] [seed]
Prints one JSON line: requests, seconds (wall time of the simulation run only),
requestsPerS, meanResponseMs (as clients see it: an H12 counts as 30 s), h12.

Works with the SimPy 3/4 API (`import simpy`, environments) and with the SimPy 2.3 API
that Debian packages as python3-simpy (`SimPy.Simulation`, process classes).
"""
import json
import random
import sys
import time

DYNOS = 50
RATE_PER_S = 400.0
SERVICE_MEAN_S = 0.1
TIMEOUT_S = 30.0


class Tally:
    """What the run measures: how many requests finished, their total client time, H12s."""

    def __init__(self):
        self.done = 0
        self.client_total_s = 0.0
        self.h12 = 0

    def record(self, response_s):
        self.done += 1
        if response_s > TIMEOUT_S:
            self.h12 += 1
            self.client_total_s += TIMEOUT_S
        else:
            self.client_total_s += response_s


def run_simpy3(simpy, n, rng):
    """SimPy 3/4: an Environment, generator functions as processes."""
    env = simpy.Environment()
    dynos = [simpy.Resource(env, capacity=1) for _ in range(DYNOS)]
    tally = Tally()
    expo = rng.expovariate
    pick = rng.random

    def request(dyno, service_s):
        arrived = env.now
        with dyno.request() as slot:
            yield slot
            yield env.timeout(service_s)
        tally.record(env.now - arrived)

    def traffic():
        for _ in range(n):
            yield env.timeout(expo(RATE_PER_S))
            dyno = dynos[int(pick() * DYNOS)]
            env.process(request(dyno, expo(1.0 / SERVICE_MEAN_S)))

    env.process(traffic())
    start = time.perf_counter()
    env.run()
    return time.perf_counter() - start, tally


def run_simpy2(n, rng):
    """SimPy 2.3 (Debian's python3-simpy): Process subclasses yielding command tuples."""
    from SimPy.Simulation import Process, Resource, Simulation, hold, release, request

    sim = Simulation()
    sim.initialize()
    dynos = [Resource(capacity=1, sim=sim) for _ in range(DYNOS)]
    tally = Tally()
    expo = rng.expovariate
    pick = rng.random

    class Request(Process):
        def serve(self, dyno, service_s):
            arrived = sim.now()
            yield request, self, dyno
            yield hold, self, service_s
            yield release, self, dyno
            tally.record(sim.now() - arrived)

    class Traffic(Process):
        def generate(self):
            for _ in range(n):
                yield hold, self, expo(RATE_PER_S)
                req = Request(sim=sim)
                sim.activate(req, req.serve(dynos[int(pick() * DYNOS)], expo(1.0 / SERVICE_MEAN_S)))

    source = Traffic(sim=sim)
    sim.activate(source, source.generate())
    start = time.perf_counter()
    sim.simulate(until=float('inf'))
    return time.perf_counter() - start, tally


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    rng = random.Random(seed)
    try:
        import simpy  # SimPy 3 or later
    except ImportError:
        simpy = None
    if simpy is not None:
        api = 'simpy ' + getattr(simpy, '__version__', '3+')
        seconds, tally = run_simpy3(simpy, n, rng)
    else:
        import SimPy  # SimPy 2.x, as Debian ships it
        api = 'SimPy ' + getattr(SimPy, '__version__', '2')
        seconds, tally = run_simpy2(n, rng)
    if tally.done != n:
        raise SystemExit('only %d of %d requests finished' % (tally.done, n))
    print(json.dumps({
        'requests': n,
        'seconds': round(seconds, 4),
        'requestsPerS': round(n / seconds, 1),
        'meanResponseMs': round(tally.client_total_s / n * 1000.0, 3),
        'h12': tally.h12,
        'simpy': api,
    }))


if __name__ == '__main__':
    main()
