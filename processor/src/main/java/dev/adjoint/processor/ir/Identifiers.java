package dev.adjoint.processor.ir;

/** Java names built from the user's: {@code vX} for {@code x}, {@code FooGradient} for {@code foo}. */
public final class Identifiers {
  private Identifiers() {}

  /** {@code name} with its first letter upper-case: {@code paramsW} from {@code params} and {@code w}. */
  public static String capitalize(String name) {
    return name.isEmpty() ? name : Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }
}
