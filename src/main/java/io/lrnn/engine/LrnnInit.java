package io.lrnn.engine;

/**
 * How the trainer initialises the univariate functions of LRNN layers. It only sets the starting
 * point of training: it is not stored in the model (the weights are), and a loaded model ignores it.
 * The model-quality study (docs/results.md, "Initialisation study") measured the difference.
 */
public enum LrnnInit {

    /** LRNN.md section 3: a, c ~ U(-1, 1), v ~ U(-sqrt(6/h), sqrt(6/h)), so Var[g] ~= 1 for sin at large omega. */
    UNIFORM,

    /**
     * As {@link #UNIFORM}, but v's bound is chosen so that Var[g] = 1 at initialisation whatever the
     * activation and omega, for unit-variance layer inputs (the trainer's standardised features, or a
     * LayerNorm'd layer): Var[g] = h E[sigma(t)^2] Var[v], with E[sigma(t)^2] integrated numerically
     * over the initial a, c and z ~ N(0, n E[W^2]). For sin at omega 30 this is UNIFORM's bound; for
     * SPDER, whose sigma(t)^2 grows like |t|, UNIFORM's Var[g] is about omega E|a z + c| (16 to 18
     * at omega0 30 on standardised coordinates), and this scales v down to 1.
     */
    UNIT_VARIANCE
}
