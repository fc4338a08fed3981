package io.img2rec.core.model;

import java.util.List;
import java.util.Objects;

/**
 * Which vertices of a graph stay frozen and which are trained, with the boundary between them.
 *
 * @param frozen    frozen vertices, in topological order (network inputs excluded)
 * @param trainable trainable vertices, in topological order; a suffix of the order, so closed under "feeds into"
 * @param boundary  frozen vertices (or network inputs) whose activations feed a trainable vertex, in topological
 *                  order — the inputs of the head graph and what a frozen-trunk cache stores. ResNet50 with the
 *                  last 5 layers trainable has two: {@code res5c_branch2b_relu} and the block input {@code res5b_relu}.
 * @param head      the top (from the vertex that collapses the feature map on), in topological order
 */
public record FreezePlan(List<String> frozen, List<String> trainable, List<String> boundary, List<String> head) {

    public FreezePlan {
        frozen = List.copyOf(Objects.requireNonNull(frozen, "frozen"));
        trainable = List.copyOf(Objects.requireNonNull(trainable, "trainable"));
        boundary = List.copyOf(Objects.requireNonNull(boundary, "boundary"));
        head = List.copyOf(Objects.requireNonNull(head, "head"));
        if (trainable.isEmpty() || boundary.isEmpty()) {
            throw new IllegalArgumentException("a freeze plan needs trainable vertices and a boundary, got trainable="
                    + trainable + ", boundary=" + boundary);
        }
    }
}
