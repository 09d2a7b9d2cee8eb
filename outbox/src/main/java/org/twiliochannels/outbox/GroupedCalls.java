package org.twiliochannels.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One call for the requests of many threads (group commit): a thread that finds no call in
 * progress makes one for every request waiting at that moment; threads that arrive meanwhile wait
 * for the next call, which takes all of them. Under load (the previous call took more than one
 * request) the calling thread first lingers {@code linger} for the requests about to come; alone, a
 * request is made at once. Each caller returns only once its own request's call has returned.
 * Thread-safe; no thread of its own.
 *
 * @param <I> a request
 * @param <O> its result
 */
final class GroupedCalls<I, O> {
    /** The call made for a group: one result per request, in their order. */
    interface Call<I, O> {
        List<O> apply(List<I> requests) throws InterruptedException;
    }

    private final Call<I, O> call;
    private final long lingerNanos;
    private final int maxGroup;
    private final Object lock = new Object();
    private List<Pending<I, O>> waiting = new ArrayList<>();
    private boolean calling;
    private int lastGroup = 1;

    GroupedCalls(Call<I, O> call, Duration linger, int maxGroup) {
        this.call = call;
        this.lingerNanos = linger.toNanos();
        this.maxGroup = maxGroup;
    }

    /** One caller's request and, once its call returned, its result. */
    private static final class Pending<I, O> {
        final I request;
        boolean done;
        O result;
        RuntimeException failure;
        InterruptedException interrupted;

        Pending(I request) {
            this.request = request;
        }
    }

    /**
     * Makes {@code request}, with any others waiting, and returns its result. Interrupts while
     * waiting for another thread's call are kept for after it (the request is already in it).
     *
     * @throws RuntimeException      the call's failure (then no request of its group was made)
     * @throws InterruptedException when the call was interrupted
     */
    O submit(I request) throws InterruptedException {
        Pending<I, O> me = new Pending<>(request);
        List<Pending<I, O>> group;
        synchronized (lock) {
            waiting.add(me);
            boolean interrupted = false;
            while (calling && !me.done) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (me.done) {
                return result(me);
            }
            calling = true;
            if (lastGroup > 1) { // under load: let the requests about to come join this call
                long end = System.nanoTime() + lingerNanos;
                for (long left = lingerNanos; left > 0 && waiting.size() < maxGroup; left = end - System.nanoTime()) {
                    try {
                        lock.wait(Math.max(1, left / 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
            group = waiting;
            waiting = new ArrayList<>();
            lastGroup = group.size();
        }
        try {
            List<O> results = call.apply(group.stream().map(p -> p.request).toList());
            for (int i = 0; i < group.size(); i++) {
                group.get(i).result = results.get(i);
            }
        } catch (RuntimeException e) {
            for (Pending<I, O> p : group) {
                p.failure = e;
            }
        } catch (InterruptedException e) {
            for (Pending<I, O> p : group) {
                p.interrupted = e;
            }
        } finally {
            synchronized (lock) {
                for (Pending<I, O> p : group) {
                    p.done = true;
                }
                calling = false;
                lock.notifyAll();
            }
        }
        return result(me);
    }

    private static <I, O> O result(Pending<I, O> p) throws InterruptedException {
        if (p.failure != null) {
            throw p.failure;
        }
        if (p.interrupted != null) {
            throw p.interrupted;
        }
        return p.result;
    }
}
