// Event and message types shared by every service. This library depends on nothing.
export {};
