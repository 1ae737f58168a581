package dev.adjoint.processor.ir;

import java.util.List;
import java.util.Optional;

/** The static method a {@link Expr.Call} invokes, and how its derivative is obtained. */
public sealed interface Callee {

  String ownerQualifiedName();

  String name();

  List<Type> parameterTypes();

  Type returnType();

  /**
   * Whether the method is an instance method of its first argument's class ({@code a.times(b)} is
   * {@code times} with arguments {@code a, b}); parameter types then start with the receiver's.
   */
  default boolean instance() {
    return false;
  }

  /**
   * A function whose partials come from {@code @DerivativeRule} methods, such as
   * {@code Math.sin} (built-in rules) or a user's library function. {@code partials} has one
   * entry per parameter; empty where no rule exists (then that argument must be inactive).
   */
  record Ruled(
      String ownerQualifiedName,
      String name,
      List<Type> parameterTypes,
      Type returnType,
      List<Optional<PartialRule>> partials,
      boolean instance)
      implements Callee {
    public Ruled {
      parameterTypes = List.copyOf(parameterTypes);
      partials = List.copyOf(partials);
    }
  }

  /**
   * Another {@code @Differentiable} method: its companion's pullback gives the partials, and
   * {@code differentiated} names, per parameter, the gradient accessor or null.
   */
  record Differentiable(
      String ownerQualifiedName,
      String name,
      List<Type> parameterTypes,
      Type returnType,
      String companionQualifiedName,
      String gradientSimpleName,
      String pullbackName,
      List<String> differentiated,
      boolean hasTangent,
      boolean hasPullbackTangent)
      implements Callee {
    public Differentiable {
      parameterTypes = List.copyOf(parameterTypes);
      differentiated = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(differentiated));
    }

    /** The name of the callee's forward-mode method, which exists when {@link #hasTangent()}. */
    public String tangentName() {
      return name + "Tangent";
    }

    /** The name of the callee's pullback in forward mode, which exists when {@link #hasPullbackTangent()}. */
    public String pullbackTangentName() {
      return pullbackName + "Tangent";
    }
  }

  /** A method with no derivative: allowed only where nothing differentiated flows into it. */
  record Plain(
      String ownerQualifiedName, String name, List<Type> parameterTypes, Type returnType, boolean instance)
      implements Callee {
    public Plain {
      parameterTypes = List.copyOf(parameterTypes);
    }

    /** A static method. */
    public static Plain of(String ownerQualifiedName, String name, List<Type> parameterTypes, Type returnType) {
      return new Plain(ownerQualifiedName, name, parameterTypes, returnType, false);
    }
  }

  /**
   * One {@code @DerivativeRule} method: called with the function's arguments (and its value when
   * {@code takesValue}) it returns one partial derivative; in the {@code pullback} form it also
   * takes the seed, last, and returns the seed's contribution to the argument's adjoint.
   */
  record PartialRule(String ruleOwnerQualifiedName, String ruleName, boolean takesValue, boolean pullback) {}
}
