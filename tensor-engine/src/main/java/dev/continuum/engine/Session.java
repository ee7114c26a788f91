package dev.continuum.engine;

import dev.continuum.engine.internal.LoadedGraph;
import dev.continuum.engine.internal.Step;
import dev.continuum.engine.internal.ops.Arena;
import dev.continuum.engine.internal.ops.ExecContext;
import dev.continuum.engine.internal.ops.Shapes;
import dev.continuum.engine.internal.ops.SplitTuner;
import dev.continuum.engine.internal.ops.WorkerPool;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs a {@link Model}. <b>Thread safety:</b> a session may be used from several threads at once;
 * each {@link #run} keeps its intermediate values to itself, and runs share only the model's
 * immutable constants and the session's worker pool. Close the session to stop its worker threads.
 */
public final class Session implements AutoCloseable {
    private final LoadedGraph graph;
    private final WorkerPool pool;
    private final int threads;
    /** Chooses the split threshold of a multi-threaded session's runs; null with one thread or the property set. */
    private final SplitTuner tuner;
    /**
     * Per step, whether the next one runs beside it on a worker ({@link #PAIR_MAX_FLOPS}); all false
     * with one thread.
     */
    private final boolean[] pairedWithNext;

    /**
     * Two consecutive convolutions of at most this many flops each, the second reading nothing the
     * first writes (a residual block's first convolution and its downsampling 1x1 one), run side by
     * side on two threads, where each alone gains little from being split: resnet_small's 0.6 MFLOP
     * 3x3/2 layers took as long at 2 threads as at 1. Larger ones split as usual. resnet_small's three
     * pairs at 2 threads: 0-6 % off its run (in-process A/B, eight rounds of a second).
     */
    static final long PAIR_MAX_FLOPS = 1L << 21;

    /** Each thread running this session recycles its own intermediate arrays and argument arrays. */
    private final ThreadLocal<RunState> states;
    /**
     * Every thread's state, for {@link #close}: a thread's map of thread-locals keeps a value after its
     * session is gone, until that thread happens to clear stale entries.
     */
    private final Set<RunState> runStates = ConcurrentHashMap.newKeySet();

    /**
     * What one thread reuses from run to run: its arena (and a second one for the steps that run
     * beside another on a worker), the slot array and per-step argument arrays.
     */
    private static final class RunState {
        final Arena arena = new Arena();
        final Arena side = new Arena();
        final Tensor[] slots;
        final Tensor[][] args;

        RunState(LoadedGraph graph) {
            arena.takeBackFor(side);
            slots = new Tensor[graph.slotCount()];
            args = new Tensor[graph.steps().size()][];
            for (int i = 0; i < args.length; i++) {
                args[i] = new Tensor[graph.steps().get(i).inputSlots().length];
            }
        }

        /** Lets go of the arrays kept for the next run. */
        void clear() {
            arena.clear();
            side.clear();
        }
    }

    /** @throws IllegalArgumentException when the system property {@code continuum.engine.min-task-work} is bad */
    Session(LoadedGraph graph, SessionOptions options) {
        ExecContext.checkMinTaskWorkProperty();
        this.graph = graph;
        this.threads = options.threads();
        this.pool = threads > 1 ? new WorkerPool(threads - 1) : null;
        this.tuner = threads > 1 && !ExecContext.minTaskWorkSet() ? new SplitTuner(ExecContext.MIN_TASK_WORK) : null;
        this.states = ThreadLocal.withInitial(() -> {
            RunState state = new RunState(graph);
            runStates.add(state);
            return state;
        });
        List<Step> steps = graph.steps();
        this.pairedWithNext = new boolean[steps.size()];
        for (int i = 0; pool != null && i + 1 < steps.size(); i++) {
            Step a = steps.get(i);
            Step b = steps.get(i + 1);
            pairedWithNext[i] = (i == 0 || !pairedWithNext[i - 1]) && pairs(a) && pairs(b) && b.independentOf(a);
        }
    }

    /** How many pairs of steps run side by side (for tests). */
    int pairedSteps() {
        int n = 0;
        for (boolean p : pairedWithNext) {
            n += p ? 1 : 0;
        }
        return n;
    }

    /** Whether a step may run beside another: a convolution small enough ({@link #PAIR_MAX_FLOPS}). */
    private static boolean pairs(Step s) {
        return s.node().opType().equals("Conv") && s.node().domain().isEmpty() && s.flops() > 0
                && s.flops() <= PAIR_MAX_FLOPS;
    }

    public List<TensorInfo> inputs() {
        return graph.inputs();
    }

    public List<TensorInfo> outputs() {
        return graph.outputs();
    }

    /**
     * Zero-filled inputs of the declared types and shapes, a dynamic dimension counting as 1: inputs to
     * warm a session up or time it on.
     */
    public Map<String, Tensor> zeroInputs() {
        Map<String, Tensor> in = new LinkedHashMap<>();
        for (TensorInfo i : inputs()) {
            int[] shape = i.shape().clone();
            for (int d = 0; d < shape.length; d++) {
                if (shape[d] < 0) {
                    shape[d] = 1;
                }
            }
            in.put(i.name(), Tensor.zeros(i.dataType(), shape));
        }
        return in;
    }

    /** Runs of {@link #warmUp()} at most: LeNet-size models are warm after about 200. */
    public static final int WARM_UP_RUNS = 300;
    /** Milliseconds of {@link #warmUp()} at most, for a large model that fits fewer runs. */
    public static final long WARM_UP_MILLIS = 2000;

    /**
     * {@link #warmUp(Map, int, long)} on {@link #zeroInputs()}, {@value #WARM_UP_RUNS} runs or
     * {@value #WARM_UP_MILLIS} ms at most: what a server does with a new session before it takes requests.
     *
     * @throws ExecutionException when the model fails on zeros (an input that is a shape or an index,
     *     say): the session is unharmed and serves as before
     */
    public int warmUp() {
        return warmUp(zeroInputs(), WARM_UP_RUNS, WARM_UP_MILLIS);
    }

    /**
     * Runs the session on {@code inputs} so that its kernels are compiled before it serves or is timed:
     * up to {@code maxRuns} runs, or as many as fit in {@code maxMillis} (at least
     * {@code min(3, maxRuns)}), and returns how many ran. On a fresh JVM a model's first hundred or two
     * runs are interpreted or C1 code (LeNet: 2.3 ms per run for the first 100, 0.05 ms once warm);
     * served without a warm-up, they are its first requests.
     *
     * @throws IllegalArgumentException when maxRuns or maxMillis is negative
     * @throws InvalidInputException as {@link #run} for inputs that do not fit the model
     * @throws ExecutionException when a node fails on these inputs
     */
    public int warmUp(Map<String, Tensor> inputs, int maxRuns, long maxMillis) {
        if (maxRuns < 0 || maxMillis < 0) {
            throw new IllegalArgumentException("warm-up: runs and milliseconds must not be negative, got " + maxRuns
                    + " and " + maxMillis);
        }
        long end = System.nanoTime() + maxMillis * 1_000_000L;
        int runs = 0;
        while (runs < maxRuns && (runs < 3 || System.nanoTime() < end)) {
            run(inputs);
            runs++;
        }
        return runs;
    }

    /**
     * Runs the model on named inputs and returns every graph output by name, in declaration order.
     *
     * @throws InvalidInputException when an input is missing, unknown, or of the wrong type or shape
     * @throws ExecutionException when a node fails on these inputs (the message names the node)
     */
    public Map<String, Tensor> run(Map<String, Tensor> inputs) {
        RunState state = states.get();
        Tensor[] slots = state.slots;
        try {
            bindInputs(inputs, slots);
        } catch (RuntimeException e) {
            java.util.Arrays.fill(slots, null);
            throw e;
        }
        int[] cs = graph.constantSlots();
        Tensor[] cv = graph.constantValues();
        for (int i = 0; i < cs.length; i++) {
            slots[cs[i]] = cv[i];
        }
        Arena arena = state.arena;
        int trial = tuner != null ? tuner.trial() : SplitTuner.NONE;
        ExecContext ctx = new ExecContext(pool, threads, arena,
                tuner != null ? tuner.threshold(trial) : ExecContext.MIN_TASK_WORK);
        List<Step> steps = graph.steps();
        long start = trial >= 0 ? System.nanoTime() : 0;
        ExecContext side = null;
        try {
            for (int i = 0; i < steps.size(); i++) {
                if (pairedWithNext[i]) {
                    if (side == null) {
                        side = new ExecContext(pool, threads, state.side, ctx.minTaskWork());
                    }
                    executePair(ctx, side, i, slots, state.args);
                    i++;
                } else {
                    execute(ctx, steps.get(i), slots, state.args[i]);
                }
            }
        } catch (RuntimeException e) {
            recycleAll(arena, slots);
            throw e;
        }
        if (trial >= 0) {
            tuner.record(trial, System.nanoTime() - start);
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        List<TensorInfo> outs = graph.outputs();
        int[] os = graph.outputSlots();
        for (int i = 0; i < os.length; i++) {
            Tensor t = slots[os[i]];
            out.put(outs.get(i).name(), t);
            arena.release(t.data());
            slots[os[i]] = null;
        }
        recycleAll(arena, slots);
        return out;
    }

    /** Hands every remaining intermediate array back to the arena and clears the slots for the next run. */
    private static void recycleAll(Arena arena, Tensor[] slots) {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != null) {
                arena.recycle(slots[i].data());
                slots[i] = null;
            }
        }
    }

    private void execute(ExecContext ctx, Step step, Tensor[] slots, Tensor[] args) {
        compute(ctx, step, slots, args);
        release(ctx, step, slots);
    }

    /**
     * Steps i and i + 1 at once, the second on a worker with its own context (and arena) when one is
     * free; their dead values are released after both, so that neither recycles an array the other
     * still reads.
     */
    private void executePair(ExecContext ctx, ExecContext side, int i, Tensor[] slots, Tensor[][] args) {
        Step a = graph.steps().get(i);
        Step b = graph.steps().get(i + 1);
        ctx.parallelFor(2, 1, (from, to) -> {
            for (int k = from; k < to; k++) {
                if (k == 0) {
                    compute(ctx, a, slots, args[i]);
                } else {
                    compute(side, b, slots, args[i + 1]);
                }
            }
        });
        release(ctx, a, slots);
        release(ctx, b, slots);
    }

    /** Runs a step's kernel and puts its outputs into their slots. */
    private static void compute(ExecContext ctx, Step step, Tensor[] slots, Tensor[] args) {
        int[] in = step.inputSlots();
        for (int i = 0; i < in.length; i++) {
            args[i] = in[i] < 0 ? null : slots[in[i]];
        }
        Tensor[] results;
        try {
            results = step.kernel().compute(ctx, args);
        } catch (UnsupportedOperationException e) {
            var n = step.node();
            throw new UnsupportedOperatorException(n.name(), n.opType(), n.domain(), n.opset(), e.getMessage());
        } catch (RuntimeException e) {
            throw new ExecutionException(step.node().name(), step.node().describe() + ": " + e.getMessage(), e);
        }
        java.util.Arrays.fill(args, null);
        int[] out = step.outputSlots();
        for (int i = 0; i < out.length; i++) {
            if (out[i] >= 0) {
                if (i >= results.length || results[i] == null) {
                    throw new ExecutionException(step.node().name(), step.node().describe() + ": produced no output "
                            + i + " ('" + step.node().outputs().get(i) + "')", null);
                }
                slots[out[i]] = results[i];
            }
        }
    }

    /** Hands the arrays of the values dead after a step back to the arena. */
    private static void release(ExecContext ctx, Step step, Tensor[] slots) {
        for (int r : step.releaseAfter()) {
            Tensor dead = slots[r];
            slots[r] = null;
            if (dead != null && !aliased(dead.data(), slots)) {
                ctx.recycle(dead.data());
            }
        }
    }

    /** True when a live slot still shares this array (views such as Reshape share their input's data). */
    private static boolean aliased(Object data, Tensor[] slots) {
        for (Tensor t : slots) {
            if (t != null && t.data() == data) {
                return true;
            }
        }
        return false;
    }

    private void bindInputs(Map<String, Tensor> inputs, Tensor[] slots) {
        List<TensorInfo> declared = graph.inputs();
        for (String name : inputs.keySet()) {
            if (declared.stream().noneMatch(d -> d.name().equals(name))) {
                throw new InvalidInputException(name, "unknown input '" + name + "'; the model's inputs are "
                        + declared.stream().map(TensorInfo::toString).toList());
            }
        }
        int[] is = graph.inputSlots();
        for (int i = 0; i < declared.size(); i++) {
            TensorInfo d = declared.get(i);
            Tensor t = inputs.get(d.name());
            if (t == null) {
                throw new InvalidInputException(d.name(), "missing input '" + d.name() + "' (expected " + d.dataType()
                        + d.shapeString() + ")");
            }
            checkInput(d, t);
            slots[is[i]] = t;
        }
    }

    private static void checkInput(TensorInfo d, Tensor t) {
        if (d.dataType() != null && t.dataType() != d.dataType()) {
            throw new InvalidInputException(d.name(), "input '" + d.name() + "' has type " + t.dataType()
                    + ", expected " + d.dataType() + d.shapeString());
        }
        int[] shape = d.shape();
        if (shape == null) {
            return;
        }
        boolean ok = shape.length == t.rank();
        for (int i = 0; ok && i < shape.length; i++) {
            ok = shape[i] < 0 || shape[i] == t.dims()[i];
        }
        if (!ok) {
            throw new InvalidInputException(d.name(), "input '" + d.name() + "' has shape " + Shapes.str(t.dims())
                    + ", expected " + d.dataType() + d.shapeString());
        }
    }

    /**
     * The work below which a kernel of this session's runs does not split across its threads: the
     * default until the session has tuned it (a few seconds of runs after the first, see
     * {@code SplitTuner}), or the value of the system property {@code continuum.engine.min-task-work}.
     * With one thread nothing splits, and this is the default.
     */
    public long splitThreshold() {
        return tuner != null ? tuner.threshold(SplitTuner.NONE) : ExecContext.MIN_TASK_WORK;
    }

    /** Whether the split threshold is settled: tuned, set by the system property, or moot with one thread. */
    public boolean splitThresholdSettled() {
        return tuner == null || tuner.chosen() != 0;
    }

    /** Bytes the threads that ran this session keep in their arrays for the next run (for tests). */
    long heldBytes() {
        long bytes = 0;
        for (RunState s : runStates) {
            bytes += s.arena.heldBytes() + s.side.heldBytes();
        }
        return bytes;
    }

    /**
     * Stops the worker threads and lets go of the intermediate arrays every thread that ran this session
     * keeps for its next run (a model's activations: tens of MB for an image model). Call it once no run
     * is in progress; a session is not run after it.
     */
    @Override
    public void close() {
        if (pool != null) {
            pool.close();
        }
        states.remove();
        for (RunState s : runStates) {
            s.clear();
        }
        runStates.clear();
    }

    @Override
    public String toString() {
        return "Session(" + graph.stepCount() + " steps, inputs " + Arrays.toString(graph.inputs().toArray()) + ")";
    }
}
