package io.paddock.client.recipes;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** A load-balancing strategy: picks one of a service's live instances. */
@FunctionalInterface
public interface InstancePicker {
    Optional<ServiceInstance> pick(List<ServiceInstance> instances);

    /** Any instance, uniformly at random. */
    static InstancePicker random() {
        return instances -> instances.isEmpty() ? Optional.empty()
                : Optional.of(instances.get(ThreadLocalRandom.current().nextInt(instances.size())));
    }

    /** Each instance in turn; a new list (an instance came or went) continues from the same count. */
    static InstancePicker roundRobin() {
        AtomicLong next = new AtomicLong();
        return instances -> instances.isEmpty() ? Optional.empty()
                : Optional.of(instances.get((int) Math.floorMod(next.getAndIncrement(), (long) instances.size())));
    }
}
