package io.lrnn.engine;

/** The function sigma inside an LRNN layer's univariate functions (LRNN.md section 1). */
public enum UnivariateActivation {
    /** sigma(t) = sin(t), SIREN-style. */
    SIN,
    /** sigma(t) = sin(t) * sqrt(|t|), from SPDER. */
    SPDER;

    /** sigma(t). */
    public double value(double t) {
        double s = FastTrig.sin(t);
        return this == SIN ? s : s * Math.sqrt(Math.abs(t));
    }

    /** sigma'(t); for SPDER the sin(t)/(2 sqrt|t|) term is taken as its limit 0 at t = 0. */
    public double derivative(double t) {
        if (this == SIN) {
            return FastTrig.cos(t);
        }
        double root = Math.sqrt(Math.abs(t));
        double d = FastTrig.cos(t) * root;
        return t == 0 ? d : d + FastTrig.sin(t) * Math.signum(t) / (2 * root);
    }
}
