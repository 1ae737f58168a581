package dev.adjoint.runtime;

import java.util.Arrays;

/**
 * Last-in-first-out storage that generated reverse-mode code uses to carry values from the forward
 * sweep to the backward sweep of one call.
 *
 * <p>A tape holds two independent stacks of primitives, one of {@code double} and one of {@code
 * int} (booleans are stored on the int stack), so nothing is boxed. A new tape allocates nothing;
 * its stacks grow by doubling and keep their capacity across {@link #clear()}, so one tape reused
 * across many calls stops allocating once it has seen the deepest call.
 *
 * <p>A tape belongs to one call at a time: it is not thread-safe. Generated code either keeps one
 * in the caller's gradient object or, where there is none (Hessian-vector products), {@link
 * #borrow() borrows} the calling thread's spare tape and {@link #giveBack(Tape) gives it back}.
 */
public final class Tape {
  /** Each thread's spare tape, or null while a call has borrowed it. */
  private static final ThreadLocal<Tape> SPARE = ThreadLocal.withInitial(Tape::new);

  // Shared by every fresh tape so that calls which never record anything allocate nothing.
  private static final double[] NO_DOUBLES = {};
  private static final int[] NO_INTS = {};
  private static final Object[] NO_REFERENCES = {};
  private static final int FIRST_CAPACITY = 16;

  private double[] doubles = NO_DOUBLES;
  private int doubleCount;
  private int[] ints = NO_INTS;
  private int intCount;
  private Object[] references = NO_REFERENCES;
  private int referenceCount;

  /** Creates an empty tape; no storage is allocated until the first push. */
  public Tape() {}

  /**
   * Pushes a value onto the double stack.
   *
   * @param value the value to record
   */
  public void pushDouble(double value) {
    if (doubleCount == doubles.length) {
      doubles = Arrays.copyOf(doubles, grownCapacity(doubles.length));
    }
    doubles[doubleCount++] = value;
  }

  /**
   * Removes and returns the most recently pushed double.
   *
   * @return the value on top of the double stack
   * @throws IllegalStateException if the double stack is empty
   */
  public double popDouble() {
    if (doubleCount == 0) {
      throw emptyStack("popDouble", "double");
    }
    return doubles[--doubleCount];
  }

  /**
   * Pushes a value onto the int stack.
   *
   * @param value the value to record
   */
  public void pushInt(int value) {
    if (intCount == ints.length) {
      ints = Arrays.copyOf(ints, grownCapacity(ints.length));
    }
    ints[intCount++] = value;
  }

  /**
   * Removes and returns the most recently pushed int.
   *
   * @return the value on top of the int stack
   * @throws IllegalStateException if the int stack is empty
   */
  public int popInt() {
    if (intCount == 0) {
      throw emptyStack("popInt", "int");
    }
    return ints[--intCount];
  }

  /**
   * Pushes a boolean onto the int stack (as 1 or 0), so it interleaves with {@link #pushInt} in
   * last-in-first-out order.
   *
   * @param value the value to record
   */
  public void pushBoolean(boolean value) {
    pushInt(value ? 1 : 0);
  }

  /**
   * Removes the top of the int stack and returns it as a boolean (any non-zero value is true).
   *
   * @return the boolean on top of the int stack
   * @throws IllegalStateException if the int stack is empty
   */
  public boolean popBoolean() {
    if (intCount == 0) {
      throw emptyStack("popBoolean", "int");
    }
    return ints[--intCount] != 0;
  }

  /**
   * Pushes a long onto the int stack as two ints (high word last),
   * so it interleaves with {@link #pushInt} in last-in-first-out order.
   *
   * @param value the value to record
   */
  public void pushLong(long value) {
    pushInt((int) value);
    pushInt((int) (value >>> 32));
  }

  /**
   * Removes and returns the most recently pushed long.
   *
   * @return the long on top of the int stack
   * @throws IllegalStateException if fewer than two ints are on the int stack
   */
  public long popLong() {
    long high = popInt();
    long low = popInt() & 0xFFFFFFFFL;
    return (high << 32) | low;
  }

  /**
   * Pushes a reference, such as an array that an assignment is about to replace. The array itself
   * is not copied: generated code never writes into an array after replacing it.
   *
   * @param value the reference to record
   */
  public void pushReference(Object value) {
    if (referenceCount == references.length) {
      references = Arrays.copyOf(references, grownCapacity(references.length));
    }
    references[referenceCount++] = value;
  }

  /**
   * Removes and returns the most recently pushed reference, typed as the caller expects.
   *
   * @param <T> the type the reference was pushed as
   * @return the reference on top of the reference stack
   * @throws IllegalStateException if the reference stack is empty
   */
  @SuppressWarnings("unchecked")
  public <T> T popReference() {
    if (referenceCount == 0) {
      throw emptyStack("popReference", "reference");
    }
    T value = (T) references[--referenceCount];
    references[referenceCount] = null;
    return value;
  }

  /**
   * Tells whether both stacks are empty, as they are after a balanced forward and backward sweep.
   *
   * @return true if nothing is left on the tape
   */
  public boolean isEmpty() {
    return doubleCount == 0 && intCount == 0 && referenceCount == 0;
  }

  /** Empties both stacks, keeping their capacity for the next call. */
  /**
   * An empty tape for one call: the calling thread's spare, which has kept the capacity of earlier
   * calls, or a new tape when the spare is in use (a nested call).
   */
  public static Tape borrow() {
    Tape spare = SPARE.get();
    if (spare == null) {
      return new Tape();
    }
    SPARE.set(null);
    spare.clear();
    return spare;
  }

  /** Returns a tape from {@link #borrow()}, emptied, as the thread's spare. */
  public static void giveBack(Tape tape) {
    tape.clear();
    SPARE.set(tape);
  }

  public void clear() {
    doubleCount = 0;
    intCount = 0;
    Arrays.fill(references, 0, referenceCount, null);
    referenceCount = 0;
  }

  private static int grownCapacity(int capacity) {
    return capacity == 0 ? FIRST_CAPACITY : Math.multiplyExact(capacity, 2);
  }

  private static IllegalStateException emptyStack(String operation, String stack) {
    return new IllegalStateException(
        operation
            + "() on an empty "
            + stack
            + " stack: the backward sweep popped more values than the forward sweep pushed");
  }
}
