package io.lrnn.server.models;

/** Lets tests in other packages fill a registry without a store. */
public final class RegistryAccess {

    private RegistryAccess() {
    }

    public static void add(ModelRegistry registry, LoadedModel model) {
        registry.add(model, false);
    }
}
