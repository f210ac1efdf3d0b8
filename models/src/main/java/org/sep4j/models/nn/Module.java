package org.sep4j.models.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * A building block that adds its operations to a {@link Graph} under a name prefix. Parameter
 * names are {@code prefix + "." + local name}, as PyTorch's state_dict spells them.
 */
public abstract class Module {

    protected final String name;

    protected Module(String name) {
        this.name = name;
    }

    /** The full name of a parameter of this module. */
    protected String key(String local) {
        return name.isEmpty() ? local : name + "." + local;
    }

    public String name() {
        return name;
    }

    /** Adds this module's operations; returns its output. */
    public abstract SDVariable apply(Graph g, SDVariable x);
}
