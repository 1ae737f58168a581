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
   * {@code differentiated} names, per parameter, the gradient accessor or null. Its pullback runs
   * the method again, which only a {@code recomputable} method allows: one that makes no call of
   * unknown purity and reads no {@code static final} array, itself or through its callees. An
   * {@code instance} method is called on its first argument; its companion's methods are static
   * and take that receiver first, as data.
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
      boolean hasPullbackTangent,
      boolean recomputable,
      boolean hasSeries,
      boolean instance)
      implements Callee {
    public Differentiable {
      parameterTypes = List.copyOf(parameterTypes);
      differentiated = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(differentiated));
    }

    /**
     * The name of the callee's forward-mode method, which exists when {@link #hasTangent()}: named
     * like its pullback, which a helper's copy in a caller's companion may name apart from {@code name}.
     */
    public String tangentName() {
      return pullbackName.substring(0, pullbackName.length() - "Pullback".length()) + "Tangent";
    }

    /**
     * The name of the callee's Taylor-mode method, which exists when {@link #hasSeries()}: it takes
     * a series for each double parameter and the order, and returns the series of the result.
     */
    public String seriesName() {
      return pullbackName.substring(0, pullbackName.length() - "Pullback".length()) + "Series";
    }

    /** The name of the callee's pullback in forward mode, which exists when {@link #hasPullbackTangent()}. */
    public String pullbackTangentName() {
      return pullbackName + "Tangent";
    }
  }

  /**
   * A pure method with no derivative, such as {@code Math.floor} or a runtime helper that generated
   * code calls: allowed only where nothing differentiated flows into it.
   */
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
   * A static method of the user's code whose purity nobody vouches for: no rule, not
   * {@code @Differentiable}, not in {@link #isKnownPure the known-pure list}. It may have side
   * effects and write the arrays it is given, so it runs exactly as often as in the original method
   * and is never recomputed (see {@code OpaqueCalls}); nothing differentiated may flow into it.
   * {@code notDifferentiated} says, for a helper of this compilation that Adjoint tried to
   * differentiate automatically, what in it stopped that (with its line); null for other methods.
   */
  record Opaque(String ownerQualifiedName, String name, List<Type> parameterTypes, Type returnType,
      String notDifferentiated)
      implements Callee {
    public Opaque {
      parameterTypes = List.copyOf(parameterTypes);
    }

    public Opaque(String ownerQualifiedName, String name, List<Type> parameterTypes, Type returnType) {
      this(ownerQualifiedName, name, parameterTypes, returnType, null);
    }
  }

  /**
   * Whether static methods of {@code ownerQualifiedName} called {@code name} are pure functions of
   * their arguments, so that derivative code may evaluate them again: {@code java.lang.Math} and
   * {@code StrictMath} (but {@code random}), the boxes of the primitive types, and Adjoint's
   * immutable {@code Matrix}.
   */
  static boolean isKnownPure(String ownerQualifiedName, String name) {
    return switch (ownerQualifiedName) {
      case "java.lang.Math", "java.lang.StrictMath" -> !name.equals("random");
      case "java.lang.Double", "java.lang.Float", "java.lang.Integer", "java.lang.Long", "java.lang.Short",
          "java.lang.Byte", "java.lang.Boolean", "java.lang.Character", Type.MATRIX_CLASS -> true;
      default -> false;
    };
  }

  /** A static method of the user's code, classified by what is known of its purity. */
  static Callee unruled(String ownerQualifiedName, String name, List<Type> parameterTypes, Type returnType) {
    return isKnownPure(ownerQualifiedName, name)
        ? Plain.of(ownerQualifiedName, name, parameterTypes, returnType)
        : new Opaque(ownerQualifiedName, name, parameterTypes, returnType);
  }

  /**
   * One {@code @DerivativeRule} method: called with the function's arguments (and its value when
   * {@code takesValue}) it returns one partial derivative; in the {@code pullback} form it also
   * takes the seed, last, and returns the seed's contribution to the argument's adjoint.
   */
  record PartialRule(String ruleOwnerQualifiedName, String ruleName, boolean takesValue, boolean pullback,
      List<String> functionInterfaces) {
    /**
     * {@code functionInterfaces} names, per parameter of the function, the interface {@code D} the
     * rule takes for a function parameter (which extends its interface with {@code pullback} and
     * {@code tangent}); null for other parameters and where the rule takes the interface itself.
     */
    public PartialRule {
      functionInterfaces = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(functionInterfaces));
    }

    public PartialRule(String ruleOwnerQualifiedName, String ruleName, boolean takesValue, boolean pullback) {
      this(ruleOwnerQualifiedName, ruleName, takesValue, pullback, List.of());
    }

    /** The interface the rule takes at argument {@code index}, or null when it takes the argument as it is. */
    public String functionInterfaceAt(int index) {
      return index < functionInterfaces.size() ? functionInterfaces.get(index) : null;
    }
  }
}
