"""One Play tick of the Playground with 6 hidden layers of 8 neurons: `python benchmarks/bench_playground.py`.

A tick (playground_view.PlaygroundView._on_tick) trains whole epochs for about TICK_S seconds
(at least one), then redraws: one run of the network on the output grid, the output picture,
a small picture per neuron, the network's weights as lines, the loss curves. Reported: the
median time of one epoch (250 training points in batches of 10: 25 `sess.run(train_op)` plus
the two losses), of one redraw, and of a whole tick, and so how often the picture moves.
"""
import argparse
import statistics
import time


def median_ms(fn, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--layers", type=int, default=6)
    parser.add_argument("--neurons", type=int, default=8)
    args = parser.parse_args(argv)

    from tfteach.widgets import Playground
    from tfteach.widgets import playground_view
    pg = Playground(dataset="spiral", hidden=[args.neurons] * args.layers, seed=1)
    view = pg.widget
    pg.train(3)  # warm-up: plans cached
    with pg._quiet_listeners():  # the epoch alone (Step also redraws)
        epoch = median_ms(pg.step, args.repeats)
    draw = median_ms(view.draw, args.repeats)
    view.play.playing = True
    ticks = []
    for k in range(args.repeats):
        before = pg.epoch
        start = time.perf_counter()
        view._on_tick({"new": k + 1, "old": k})
        ticks.append(((time.perf_counter() - start) * 1000, pg.epoch - before))
    view.play.playing = False
    tick = statistics.median(t for t, _ in ticks)
    epochs = statistics.median(e for _, e in ticks)
    interval = max(tick, playground_view.PLAY_INTERVAL_MS)
    print(f"network 2-{'-'.join([str(args.neurons)] * args.layers)}-1, spiral, batch 10, 250 training points")
    print(f"one epoch (25 steps + 2 losses): {epoch:.1f} ms")
    print(f"one redraw (grid {playground_view.DENSITY}², {args.layers * args.neurons + 3} small pictures, "
          f"weights, curves): {draw:.1f} ms")
    print(f"one Play tick: {tick:.1f} ms, {epochs:g} epochs per tick "
          f"(budget {playground_view.TICK_S * 1000:.0f} ms, then the redraw)")
    print(f"the picture moves about {1000 / interval:.1f} times a second (timer every "
          f"{playground_view.PLAY_INTERVAL_MS} ms)")


if __name__ == "__main__":
    main()
