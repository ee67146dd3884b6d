package io.lrnn.engine;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * {@code a * b + c} for the hot loops: one fused multiply-add (one rounding) where the CPU has
 * FMA instructions, which the JIT then vectorises, else a multiply and an add. {@link Math#fma}
 * without hardware support is emulated in software and many times slower, hence the choice,
 * made once from the JVM's {@code UseFMA} flag (false when it cannot be read). Results can
 * therefore differ in the last bits between machines with and without FMA; on one machine they
 * are reproducible.
 */
final class MulAdd {

    /** Whether {@link #of} fuses. Constant, so the JIT folds the choice away. */
    static final boolean FUSED = hardwareFma();

    private MulAdd() {
    }

    static double of(double a, double b, double c) {
        return FUSED ? Math.fma(a, b, c) : a * b + c;
    }

    private static boolean hardwareFma() {
        try {
            return Boolean.parseBoolean(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .getVMOption("UseFMA").getValue());
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
