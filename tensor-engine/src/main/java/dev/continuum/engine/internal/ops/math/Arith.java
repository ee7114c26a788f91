package dev.continuum.engine.internal.ops.math;

/**
 * The arithmetic binary functions. Integer results wrap to the element width (the caller narrows);
 * integer division truncates toward zero like C, and division by zero gives 0 instead of failing.
 */
enum Arith implements BinaryFn {
    ADD {
        public float f(float a, float b) {
            return a + b;
        }

        public double d(double a, double b) {
            return a + b;
        }

        public long l(long a, long b) {
            return a + b;
        }
    },
    SUB {
        public float f(float a, float b) {
            return a - b;
        }

        public double d(double a, double b) {
            return a - b;
        }

        public long l(long a, long b) {
            return a - b;
        }
    },
    MUL {
        public float f(float a, float b) {
            return a * b;
        }

        public double d(double a, double b) {
            return a * b;
        }

        public long l(long a, long b) {
            return a * b;
        }
    },
    DIV {
        public float f(float a, float b) {
            return a / b;
        }

        public double d(double a, double b) {
            return a / b;
        }

        public long l(long a, long b) {
            return b == 0 ? 0 : a / b;
        }

        @Override
        public long u(long a, long b) {
            return b == 0 ? 0 : Long.divideUnsigned(a, b);
        }
    },
    MIN {
        public float f(float a, float b) {
            return Math.min(a, b);
        }

        public double d(double a, double b) {
            return Math.min(a, b);
        }

        public long l(long a, long b) {
            return Math.min(a, b);
        }

        @Override
        public long u(long a, long b) {
            return Long.compareUnsigned(a, b) <= 0 ? a : b;
        }
    },
    MAX {
        public float f(float a, float b) {
            return Math.max(a, b);
        }

        public double d(double a, double b) {
            return Math.max(a, b);
        }

        public long l(long a, long b) {
            return Math.max(a, b);
        }

        @Override
        public long u(long a, long b) {
            return Long.compareUnsigned(a, b) >= 0 ? a : b;
        }
    },
    /** PRelu: {@code a} is x, {@code b} the slope. */
    PRELU {
        public float f(float a, float b) {
            return a < 0 ? a * b : a;
        }

        public double d(double a, double b) {
            return a < 0 ? a * b : a;
        }

        public long l(long a, long b) {
            return a < 0 ? a * b : a;
        }

        @Override
        public long u(long a, long b) {
            return a;
        }
    }
}
