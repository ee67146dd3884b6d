package io.lrnn.engine;

/**
 * The function sigma inside an LRNN layer's univariate functions (LRNN.md section 1). Its values
 * and derivatives are computed by {@link LrnnLayer} over whole blocks of rows.
 */
public enum UnivariateActivation {
    /** sigma(t) = sin(t), SIREN-style. */
    SIN,
    /** sigma(t) = sin(t) * sqrt(|t|), from SPDER. */
    SPDER
}
